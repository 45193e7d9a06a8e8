package io.sitebridge.ui.views;

import java.util.EnumMap;
import java.util.Map;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Display;

import io.sitebridge.ui.compare.CompareModel.Verdict;

/** The row backgrounds of compare mode (the compare column says the same in words). UI thread only. */
final class CompareColours {
    /** Colors hold no OS resource since SWT 3.115: nothing to dispose. */
    private static final Map<Verdict, Color> CACHE = new EnumMap<>(Verdict.class);

    private CompareColours() {
    }

    /** The background for a verdict, or null for the table's own. */
    static Color of(Display display, Verdict v) {
        if (v == null || v.rgb < 0) {
            return null;
        }
        return CACHE.computeIfAbsent(v, k -> new Color(display, k.rgb >> 16 & 0xff, k.rgb >> 8 & 0xff, k.rgb & 0xff));
    }
}
