package io.sitebridge.app.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.trust.CertificateAsker;
import io.sitebridge.core.trust.CertificatePins;
import io.sitebridge.core.trust.UntrustedCertificate;

/**
 * The command line's answers about untrusted certificates: it never asks (it may run unattended).
 * A certificate whose fingerprint was given with {@code --trust} is pinned, in the same file as the
 * application's pins; any other is refused after its details and the {@code --trust} to give are
 * printed on standard error (once per certificate, however many sessions meet it). A certificate
 * other than the pinned one is refused with a loud warning naming both fingerprints, unless
 * {@code --trust} names the new one.
 */
final class CommandLineTrust implements CertificateAsker {
    private final Terminal term;
    private final List<String> trusted;
    private final CertificatePins pins;
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    CommandLineTrust(Terminal term, List<String> trusted, CertificatePins pins) {
        this.term = term;
        this.trusted = trusted;
        this.pins = pins;
    }

    @Override
    public Answer ask(UntrustedCertificate c) {
        if (trusted.contains(c.fingerprint())) {
            term.err("sitebridge: trusting the certificate of %s (%s), pinned in %s%n", c.site(), c.fingerprint(),
                    pins.file().toString());
            return Answer.TRUST_ALWAYS;
        }
        if (told.add(c.site() + " " + c.fingerprint())) {
            term.err("sitebridge: the TLS certificate of %s is not trusted:%n", c.site());
            details(c);
            term.err("sitebridge: if this is your server's certificate (compare the fingerprint with the one its "
                    + "administrator gives you), run again with --trust %s to trust it always%n", c.fingerprint());
        }
        return Answer.REFUSE;
    }

    @Override
    public boolean replacePin(String pinned, UntrustedCertificate c) {
        if (trusted.contains(c.fingerprint())) {
            term.err("sitebridge: replacing the pinned certificate of %s (%s) with %s as --trust says%n", c.site(),
                    pinned, c.fingerprint());
            return true;
        }
        if (told.add(c.site() + " " + c.fingerprint())) {
            term.err("sitebridge: WARNING: THE CERTIFICATE OF %s HAS CHANGED%n", c.site());
            term.err("  pinned:    %s%n  presented: %s%n", pinned, c.fingerprint());
            details(c);
            term.err("sitebridge: someone may be intercepting the connection; refused. Only if the server's "
                    + "administrator confirms the new certificate, run again with --trust %s%n", c.fingerprint());
        }
        return false;
    }

    private void details(UntrustedCertificate c) {
        for (String line : c.describe()) {
            term.err("  %s%n", line); // its server's parts were made printable already; shown safely again
        }
    }
}
