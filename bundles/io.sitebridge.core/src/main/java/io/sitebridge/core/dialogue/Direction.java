package io.sitebridge.core.dialogue;

/** Which way a line of the control dialogue went. */
public enum Direction {
    /** A command this client sent to the server. */
    SENT,
    /** A reply the server sent. */
    RECEIVED,
    /** Something Sitebridge itself says about the dialogue: connects, role reversals, fallbacks, diagnoses. */
    NOTE
}
