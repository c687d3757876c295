package io.lethe.operation;

import io.lethe.backend.BackendException;
import io.lethe.security.SecretCipher;

/** Opens the passphrase an operation keeps sealed, or says plainly why it cannot. */
final class Passphrases {

    private Passphrases() {
    }

    static String open(SecretCipher cipher, String sealed) {
        if (sealed == null) {
            throw new BackendException.Refused("the passphrase of this operation is no longer kept; start a new operation");
        }
        try {
            return cipher.decrypt(sealed);
        } catch (SecretCipher.SecretUnreadable e) {
            throw new BackendException.Refused("the passphrase kept for this operation cannot be decrypted with the "
                    + "current secrets key (lost or changed); start a new operation");
        }
    }
}
