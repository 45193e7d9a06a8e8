package io.sitebridge.core.session;

/** What a listed name is. */
public enum EntryType { FILE, DIRECTORY, LINK, OTHER }
