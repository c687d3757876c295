package io.lethe.engine;

/**
 * A transition that does not fit the operation's state: the aggregate refuses it and changes
 * nothing. Carries no stack trace: it is an answer, not a fault.
 */
public final class IllegalTransition extends RuntimeException {
    public IllegalTransition(String why) {
        super(why, null, false, false);
    }
}
