package io.sitebridge.ui.queue;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;

import io.sitebridge.ui.browse.Paths;

/** Asks what to do with a destination that exists: overwrite, skip, resume or rename, maybe for all. */
public final class ConflictDialog extends MessageDialog {

    private static final ConflictChoice[] CHOICES = { ConflictChoice.OVERWRITE, ConflictChoice.RESUME,
            ConflictChoice.RENAME, ConflictChoice.SKIP };

    private final boolean resumable;
    private boolean applyToAll;

    private ConflictDialog(Shell parent, String message, boolean resumable) {
        super(parent, "File exists", null, message, QUESTION,
                new String[] { "&Overwrite", "Res&ume", "&Rename", "&Skip" }, 0);
        this.resumable = resumable;
    }

    @Override
    protected Control createCustomArea(Composite parent) {
        Button all = new Button(parent, SWT.CHECK);
        all.setText("&Apply to all conflicts of this transfer");
        all.addListener(SWT.Selection, e -> applyToAll = all.getSelection());
        return all;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(1).setEnabled(resumable);
    }

    /** A resolver that asks on the UI thread and remembers "apply to all" in the item's batch. */
    public static TransferQueue.ConflictResolver resolverOn(Display display) {
        return (item, existingSize) -> {
            ConflictChoice[] answer = { ConflictChoice.SKIP };
            display.syncExec(() -> {
                boolean resumable = item.kind() != QueueItem.Kind.FXP && item.size() > existingSize
                        && existingSize > 0;
                String message = "\u201c" + item.to().name() + "\u201d already exists in " + item.to().parent()
                        + " on " + item.to().site() + ".\n\nExisting: " + Paths.humanSize(existingSize)
                        + (item.size() >= 0 ? "\nNew: " + Paths.humanSize(item.size()) + " from " + item.from().site()
                                : "")
                        + (item.kind() == QueueItem.Kind.FXP ? "\n\n(Resume is offered for uploads and downloads.)" : "");
                ConflictDialog d = new ConflictDialog(display.getActiveShell(), message, resumable);
                int code = d.open();
                ConflictChoice c = code >= 0 && code < CHOICES.length ? CHOICES[code] : ConflictChoice.SKIP;
                if (d.applyToAll) {
                    item.batch().setApplyToAll(c);
                }
                answer[0] = c;
            });
            return answer[0];
        };
    }
}
