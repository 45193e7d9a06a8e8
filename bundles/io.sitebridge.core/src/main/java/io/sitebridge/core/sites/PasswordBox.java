package io.sitebridge.core.sites;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.sitebridge.core.StateFiles;

/**
 * Encrypts the saved sites' passwords: AES-256-GCM under a random key kept in a file only its
 * owner may read (mode 600), beside the sites file. The same idea as the application's old
 * secure-storage provider, without OSGi, so that the command line (a plain class path) can read
 * them too. Each ciphertext is bound to its site's name (the GCM associated data): moving one to
 * another site in the file makes it fail to decrypt rather than log in elsewhere.
 */
final class PasswordBox {

    /** The prefix of a ciphertext in the sites file; says which scheme made it. */
    static final String PREFIX = "aes-gcm:";

    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path keyFile;

    PasswordBox(Path keyFile) {
        this.keyFile = keyFile;
    }

    /** The text to save for {@code password} of the site {@code name}; makes the key on first use. */
    String seal(String name, char[] password) throws IOException {
        byte[] key = key(true);
        byte[] plain = utf8(password);
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the password: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The password that {@link #seal} made {@code text} of, for the site {@code name}. */
    char[] open(String name, String text) throws IOException {
        if (!text.startsWith(PREFIX)) {
            throw new IOException("the saved password of \u201c" + name + "\u201d is in an unknown format");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IOException("the saved password of \u201c" + name + "\u201d is damaged");
        }
        if (all.length < IV_BYTES + TAG_BITS / 8) {
            throw new IOException("the saved password of \u201c" + name + "\u201d is damaged");
        }
        byte[] key = key(false);
        if (key == null) {
            throw new IOException("cannot decrypt the password of \u201c" + name + "\u201d: the key file " + keyFile
                    + " is missing; save the password again");
        }
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            plain = c.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return out;
        } catch (GeneralSecurityException | CharacterCodingException e) {
            throw new IOException("cannot decrypt the password of \u201c" + name + "\u201d (the key file " + keyFile
                    + " is not the one it was saved with?); save the password again");
        } finally {
            Arrays.fill(key, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }

    /** The key; made (and written, owner-only) when there is none and {@code create}; else null when none. */
    private byte[] key(boolean create) throws IOException {
        if (Files.exists(keyFile)) {
            return read();
        }
        if (!create) {
            return null;
        }
        Files.createDirectories(keyFile.getParent());
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        Path tmp = StateFiles.writeTemporary(keyFile.getParent(), keyFile.getFileName().toString(),
                (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII),
                ownerOnlyAttribute(keyFile.getParent()));
        try {
            try {
                // A link never replaces (a rename would, silently): a key another process made meanwhile
                // wins, and passwords sealed with it stay readable.
                Files.createLink(keyFile, tmp);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, keyFile); // no hard links here: checks, then renames
            } catch (FileAlreadyExistsException e) {
                Arrays.fill(key, (byte) 0);
                return read();
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return key;
    }

    private byte[] read() throws IOException {
        tightenPermissions();
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
        try {
            byte[] key = Base64.getDecoder().decode(text);
            if (key.length == KEY_BYTES) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new IOException("the key file " + keyFile + " is damaged");
    }

    /** A key file others may read (copied, restored from a backup) is made owner-only again. */
    private void tightenPermissions() {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(keyFile);
            if (!OWNER_ONLY.containsAll(p)) {
                Files.setPosixFilePermissions(keyFile, OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not POSIX, or not ours: the folder's own protection has to do
        }
    }

    /** Mode 600 from the start (never readable by others, not even for a moment) where the folder is POSIX. */
    static java.nio.file.attribute.FileAttribute<?>[] ownerOnlyAttribute(Path folder) {
        try {
            if (Files.getFileStore(folder).supportsFileAttributeView("posix")) {
                return new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
            }
        } catch (IOException e) {
            // below
        }
        return new java.nio.file.attribute.FileAttribute<?>[0];
    }
}
