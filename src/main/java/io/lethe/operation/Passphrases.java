package io.lethe.operation;

import io.lethe.security.SecretCipher;

/** Opens the passphrase an operation keeps sealed, or says plainly why it cannot. */
final class Passphrases {

    private Passphrases() {
    }

    static String open(SecretCipher cipher, String sealed) {
        if (sealed == null) {
            throw new Unavailable("the passphrase of this operation is no longer kept; start a new operation");
        }
        try {
            return cipher.decrypt(sealed);
        } catch (SecretCipher.SecretUnreadable e) {
            throw new Unavailable("the passphrase kept for this operation cannot be decrypted with the current "
                    + "secrets key (lost or changed); nothing was sent to the device; start a new operation");
        }
    }

    /** The passphrase cannot be had: the step fails before it touches the device. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String why) {
            super(why, null, false, false);
        }
    }
}
