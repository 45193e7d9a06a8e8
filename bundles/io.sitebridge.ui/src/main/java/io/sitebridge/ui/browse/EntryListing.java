package io.sitebridge.ui.browse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.sitebridge.core.session.RemoteEntry;

/**
 * The entries of one folder as a pane shows them: filtered by the quick
 * filter, sorted by a column, folders always first. Plain data, no SWT, so a
 * 100,000-entry folder is sorted once and the virtual table just indexes it.
 */
public final class EntryListing {

    /** The columns a listing can be sorted by, in table order. */
    public enum Column { NAME, SIZE, MODIFIED, PERMISSIONS, OWNER }

    private List<RemoteEntry> all = List.of();
    private List<RemoteEntry> shown = List.of();
    private String filter = "";
    private Column sortColumn = Column.NAME;
    private boolean ascending = true;

    public void setEntries(List<RemoteEntry> entries) {
        List<RemoteEntry> kept = new ArrayList<>(entries.size());
        for (RemoteEntry e : entries) {
            if (!e.name().equals(".") && !e.name().equals("..")) {
                kept.add(e);
            }
        }
        all = kept;
        update();
    }

    public void setFilter(String text) {
        filter = text == null ? "" : text.trim();
        update();
    }

    /** Sorts by the column; choosing the same column again reverses the order. */
    public void sortBy(Column column) {
        if (column == sortColumn) {
            ascending = !ascending;
        } else {
            sortColumn = column;
            ascending = column == Column.NAME || column == Column.PERMISSIONS || column == Column.OWNER;
        }
        update();
    }

    public Column sortColumn() {
        return sortColumn;
    }

    public boolean ascending() {
        return ascending;
    }

    public List<RemoteEntry> all() {
        return all;
    }

    public List<RemoteEntry> shown() {
        return shown;
    }

    public RemoteEntry shown(int index) {
        return index >= 0 && index < shown.size() ? shown.get(index) : null;
    }

    public int indexOf(String name) {
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void update() {
        Pattern pattern = filterPattern(filter);
        List<RemoteEntry> list = new ArrayList<>(all.size());
        for (RemoteEntry e : all) {
            if (pattern == null || pattern.matcher(e.name()).find()) {
                list.add(e);
            }
        }
        Comparator<RemoteEntry> byColumn = switch (sortColumn) {
            case NAME -> Comparator.comparing(RemoteEntry::name, String.CASE_INSENSITIVE_ORDER);
            case SIZE -> Comparator.comparingLong(RemoteEntry::size);
            case MODIFIED -> Comparator.comparing(RemoteEntry::modified, Comparator.nullsFirst(Comparator.naturalOrder()));
            case PERMISSIONS -> Comparator.comparing(e -> nonNull(e.permissions()));
            case OWNER -> Comparator.comparing(e -> nonNull(e.owner()), String.CASE_INSENSITIVE_ORDER);
        };
        if (!ascending) {
            byColumn = byColumn.reversed();
        }
        Comparator<RemoteEntry> foldersFirst = Comparator.comparing(e -> !e.isDirectory());
        list.sort(foldersFirst.thenComparing(byColumn)
                .thenComparing(RemoteEntry::name, String.CASE_INSENSITIVE_ORDER));
        shown = list;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** "jpg" matches names containing jpg; "*.jpg" or "a?c" are globs; all case-insensitive. */
    static Pattern filterPattern(String filter) {
        if (filter.isEmpty()) {
            return null;
        }
        if (filter.indexOf('*') < 0 && filter.indexOf('?') < 0) {
            return Pattern.compile(Pattern.quote(filter), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
        StringBuilder regex = new StringBuilder("^");
        for (char c : filter.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.append('$').toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
