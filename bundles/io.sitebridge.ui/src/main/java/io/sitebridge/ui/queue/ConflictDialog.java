package io.sitebridge.ui.queue;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;

import io.sitebridge.transfer.queue.ConflictResolver.ExistingFile;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.ui.browse.Paths;

/** Asks what to do with a destination that exists: overwrite, resume, rename or skip, maybe for all. */
public final class ConflictDialog extends MessageDialog {

    public static final String TITLE = "File exists";

    private static final ConflictRule[] CHOICES = { ConflictRule.OVERWRITE, ConflictRule.RESUME,
            ConflictRule.RENAME, ConflictRule.SKIP };

    /** What the user chose. */
    public record Answer(ConflictRule rule, boolean applyToAll) {
    }

    private final boolean resumable;
    private boolean applyToAll;

    private ConflictDialog(Shell parent, String message, boolean resumable) {
        super(parent, TITLE, null, message, QUESTION, new String[] { "&Overwrite", "Res&ume", "&Rename", "&Skip" },
                0);
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

    /** Opens the dialog (UI thread) and waits for the answer; closing it skips. */
    static Answer ask(Display display, QueueItem item, ExistingFile existing) {
        boolean resumable = existing.size() > 0 && item.size() > existing.size();
        String message = "\u201c" + io.sitebridge.core.ServerText.printable(Paths.nameOf(existing.path()))
                + "\u201d already exists in "
                + QueueLabels.where(item.destinationSite(), existing.path()) + ".\n\nExisting: "
                + Paths.humanSize(existing.size())
                + (item.size() >= 0 ? "\nNew: " + Paths.humanSize(item.size()) + " from "
                        + QueueLabels.site(item.sourceSite()) : "")
                + (resumable ? "" : "\n\n(Resume needs a shorter existing file.)");
        Shell parent = display.getActiveShell();
        if (parent == null && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null) {
            parent = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
        }
        ConflictDialog d = new ConflictDialog(parent, message, resumable);
        int code = d.open();
        ConflictRule rule = code >= 0 && code < CHOICES.length ? CHOICES[code] : ConflictRule.SKIP;
        return new Answer(rule, d.applyToAll);
    }
}
