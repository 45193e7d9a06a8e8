package io.sitebridge.ui.dnd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.dnd.ByteArrayTransfer;
import org.eclipse.swt.dnd.TransferData;

/**
 * Carries {@link EntryRefs} between site browser panes (drag and drop, copy and
 * paste): the site and the paths, never the files' content.
 */
public final class EntryTransfer extends ByteArrayTransfer {

    private static final String TYPE_NAME = "io.sitebridge.entry-refs";
    private static final int TYPE_ID = registerType(TYPE_NAME);
    private static final int FORMAT = 1;
    private static final EntryTransfer INSTANCE = new EntryTransfer();

    private EntryTransfer() {
    }

    public static EntryTransfer getInstance() {
        return INSTANCE;
    }

    @Override
    protected String[] getTypeNames() {
        return new String[] { TYPE_NAME };
    }

    @Override
    protected int[] getTypeIds() {
        return new int[] { TYPE_ID };
    }

    @Override
    protected boolean validate(Object object) {
        return object instanceof EntryRefs;
    }

    @Override
    protected void javaToNative(Object object, TransferData transferData) {
        if (!(object instanceof EntryRefs refs) || !isSupportedType(transferData)) {
            return;
        }
        super.javaToNative(toBytes(refs), transferData);
    }

    @Override
    protected Object nativeToJava(TransferData transferData) {
        if (!isSupportedType(transferData)) {
            return null;
        }
        Object bytes = super.nativeToJava(transferData);
        return bytes instanceof byte[] b ? fromBytes(b) : null;
    }

    static byte[] toBytes(EntryRefs refs) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(FORMAT);
            out.writeUTF(refs.pane());
            out.writeUTF(refs.site());
            out.writeUTF(refs.siteKey());
            out.writeInt(refs.entries().size());
            for (EntryRefs.Ref r : refs.entries()) {
                out.writeUTF(r.path());
                out.writeBoolean(r.folder());
                out.writeLong(r.size());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // cannot happen in memory
        }
        return buffer.toByteArray();
    }

    static EntryRefs fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != FORMAT) {
                return null;
            }
            String pane = in.readUTF();
            String site = in.readUTF();
            String key = in.readUTF();
            int n = in.readInt();
            List<EntryRefs.Ref> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(new EntryRefs.Ref(in.readUTF(), in.readBoolean(), in.readLong()));
            }
            return new EntryRefs(pane, site, key, entries);
        } catch (IOException e) {
            return null; // not ours, or truncated: refuse the drop
        }
    }
}
