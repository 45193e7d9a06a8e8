package io.sitebridge.ui.views;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Display;

/** The row colours of compare mode: 0 none, 1 only here, 2 newer, 3 older, 4 differs. */
final class CompareColours {
    private static final int[][] RGB = {null, {208, 240, 208}, {255, 244, 196}, {232, 232, 255}, {255, 214, 214}};

    private CompareColours() {
    }

    private static final Color[] CACHE = new Color[RGB.length];

    /** UI thread only. Colors hold no OS resource since SWT 3.115: nothing to dispose. */
    static Color of(Display display, int kind) {
        if (kind <= 0 || kind >= RGB.length) {
            return null;
        }
        if (CACHE[kind] == null) {
            CACHE[kind] = new Color(display, RGB[kind][0], RGB[kind][1], RGB[kind][2]);
        }
        return CACHE[kind];
    }
}
