package io.sitebridge.app.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.sitebridge.core.Security;

/**
 * A parsed {@code ftp://}, {@code ftps://} (explicit TLS) or {@code ftpsi://} (implicit TLS)
 * URL: {@code scheme://[user[:password]@]host[:port][/path]}. IPv6 hosts go in brackets.
 */
record FtpUrl(Security security, String user, String password, String host, int port, String path) {

    public static FtpUrl parse(String text) throws IllegalArgumentException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Security security = switch (scheme) {
            case "ftp" -> Security.PLAIN;
            case "ftps" -> Security.EXPLICIT_TLS;
            case "ftpsi" -> Security.IMPLICIT_TLS;
            default -> throw new IllegalArgumentException("not an ftp://, ftps:// or ftpsi:// URL: " + text);
        };
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (path.indexOf('\r') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("path contains CR or LF: refused");
        }
        return new FtpUrl(security, user, password, host, uri.getPort() > 0 ? uri.getPort() : 0, path);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** user@host:port, for messages and prompts (never the password). */
    public String display() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (user == null ? "anonymous" : user) + "@" + h + (port > 0 ? ":" + port : "");
    }
}
