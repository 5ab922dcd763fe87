package dev.srr.data;

/** A candidate's safety as read from the data: safe, unsafe, explicitly unlabelled, or some other value. */
public enum SafetyLabel {
    SAFE, UNSAFE, UNLABELLED, OTHER;

    /** TRUE for safe, FALSE for unsafe, null for anything else (the ranker's label form). */
    public Boolean asBoolean() {
        return switch (this) {
            case SAFE -> Boolean.TRUE;
            case UNSAFE -> Boolean.FALSE;
            default -> null;
        };
    }
}
