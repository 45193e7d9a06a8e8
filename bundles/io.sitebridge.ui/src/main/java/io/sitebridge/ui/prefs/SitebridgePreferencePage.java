package io.sitebridge.ui.prefs;

import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.ComboFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.ui.queue.QueueLabels;

/** Window > Preferences > Sitebridge: transfers and browsing. */
public final class SitebridgePreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    public SitebridgePreferencePage() {
        super(GRID);
        setDescription("Transfers between sites and the site browsers.");
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(SitebridgeUi.getDefault().getPreferenceStore());
    }

    @Override
    protected void createFieldEditors() {
        IntegerFieldEditor parallel = new IntegerFieldEditor(Prefs.PARALLEL, "&Parallel transfers (from the next start):",
                getFieldEditorParent());
        parallel.setValidRange(1, 16);
        addField(parallel);
        ConflictRule[] choices = ConflictRule.values();
        String[][] labels = new String[choices.length][];
        for (int i = 0; i < choices.length; i++) {
            String label = choices[i] == ConflictRule.NEWER ? "Overwrite if newer or of another size"
                    : QueueLabels.state(choices[i].name());
            labels[i] = new String[] { label, choices[i].name() };
        }
        addField(new ComboFieldEditor(Prefs.ON_CONFLICT, "When the destination &exists:", labels,
                getFieldEditorParent()));
        addField(new BooleanFieldEditor(Prefs.VERIFY,
                "&Verify content through this client when the servers share no hash (from the next start)", getFieldEditorParent()));
        addField(new BooleanFieldEditor(Prefs.RELAY_ALLOWED,
                "&Relay data through this client when the servers refuse FXP (from the next start)", getFieldEditorParent()));
        addField(new BooleanFieldEditor(Prefs.CONFIRM_DELETE, "&Confirm before deleting", getFieldEditorParent()));
        addField(new BooleanFieldEditor(Prefs.SHOW_HIDDEN, "Show &hidden files (names starting with a dot)",
                getFieldEditorParent()));
    }
}
