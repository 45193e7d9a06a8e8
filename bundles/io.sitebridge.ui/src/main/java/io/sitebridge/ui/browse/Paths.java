package io.sitebridge.ui.browse;

/** Slash-separated path arithmetic shared by remote and local panes. */
public final class Paths {

    private Paths() {
    }

    public static String parentOf(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        String p = stripSlash(path);
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    public static String child(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    public static String nameOf(String path) {
        String p = stripSlash(path);
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** "name (1).ext", "name (2).ext", ... : the first of these not in {@code taken}. */
    public static String uniqueName(String name, java.util.Set<String> taken) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1;; i++) {
            String candidate = base + " (" + i + ")" + ext;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    public static String humanSize(long bytes) {
        if (bytes < 0) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = { "KB", "MB", "GB", "TB", "PB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }
}
