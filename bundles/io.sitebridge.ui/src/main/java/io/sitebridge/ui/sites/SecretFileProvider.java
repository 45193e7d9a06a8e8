package io.sitebridge.ui.sites;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;

import javax.crypto.spec.PBEKeySpec;

import org.eclipse.core.runtime.ILog;
import org.eclipse.equinox.security.storage.provider.IPreferencesContainer;
import org.eclipse.equinox.security.storage.provider.PasswordProvider;

/**
 * Unlocks Sitebridge's secure storage without a master-password prompt: the
 * key is a random secret kept in a file readable only by the user (mode 600)
 * beside the storage file. Protects the passwords at rest from anyone who
 * reads the workspace or a backup of it without that file.
 */
public final class SecretFileProvider extends PasswordProvider {

    /** The full id of the provider extension (plugin id + extension id). */
    public static final String MODULE_ID = "io.sitebridge.ui.secretFile";

    @Override
    public PBEKeySpec getPassword(IPreferencesContainer container, int passwordType) {
        URL location = container.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        try {
            Path storage = Path.of(location.toURI());
            Path secretFile = storage.resolveSibling(storage.getFileName() + ".key");
            return new PBEKeySpec(readOrCreate(secretFile).toCharArray());
        } catch (Exception e) {
            ILog.of(getClass()).error("Cannot read or create the secure-storage key file", e);
            return null;
        }
    }

    private static synchronized String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        Files.createDirectories(file.getParent());
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getEncoder().encodeToString(random);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not POSIX: the folder's own protection has to do
        }
        Files.writeString(tmp, secret, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file);
        return secret;
    }

    @Override
    public boolean retryOnError(Exception e, IPreferencesContainer container) {
        return false;
    }
}
