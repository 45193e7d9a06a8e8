package io.sitebridge.ui.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.IConsoleConstants;
import org.eclipse.ui.console.IConsolePageParticipant;
import org.eclipse.ui.console.TextConsole;
import org.eclipse.ui.part.IPageBookViewPage;

/** Adds "Save to File…" to the control-dialogue console's toolbar (Clear and Scroll Lock come with it). */
public final class SaveConsoleParticipant implements IConsolePageParticipant {

    @Override
    public void init(IPageBookViewPage page, IConsole console) {
        if (!(console instanceof TextConsole text)) {
            return;
        }
        Action save = new Action("Save to File\u2026") {
            @Override
            public void run() {
                FileDialog dialog = new FileDialog(page.getSite().getShell(), SWT.SAVE);
                dialog.setOverwrite(true);
                dialog.setFileName("sitebridge-dialogue-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
                String file = dialog.open();
                if (file == null) {
                    return;
                }
                try {
                    Files.writeString(Path.of(file), text.getDocument().get(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    MessageDialog.openError(page.getSite().getShell(), "Save failed", e.getMessage());
                }
            }
        };
        save.setToolTipText("Save the control dialogue to a file");
        save.setImageDescriptor(PlatformUI.getWorkbench().getSharedImages()
                .getImageDescriptor(ISharedImages.IMG_ETOOL_SAVE_EDIT));
        page.getSite().getActionBars().getToolBarManager().appendToGroup(IConsoleConstants.OUTPUT_GROUP, save);
        page.getSite().getActionBars().updateActionBars();
    }

    @Override
    public void dispose() {
    }

    @Override
    public void activated() {
    }

    @Override
    public void deactivated() {
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        return null;
    }
}
