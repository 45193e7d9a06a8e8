package io.sitebridge.ui.prefs;

import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;

import io.sitebridge.ui.SitebridgeUi;

/** Registered in plugin.xml: the defaults of the Sitebridge preferences. */
public final class PreferenceInitializer extends AbstractPreferenceInitializer {

    @Override
    public void initializeDefaultPreferences() {
        Prefs.initDefaults(SitebridgeUi.getDefault().getPreferenceStore());
    }
}
