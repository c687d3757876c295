package io.lethe.agent;

/**
 * The kernel keyring through which nvdimm security commands receive passphrases: a command names a
 * key id, never the passphrase. Keys are added for one command and removed right after it.
 */
public interface Keyring {

    /**
     * Adds a key with this description (such as {@code nvdimm:1234}) and answers its key id. The
     * caller makes sure no key with this description exists: one would be replaced.
     */
    long add(String description, String passphrase);

    /**
     * Loads a sealed key blob under this description ({@code keyctl add encrypted <description>
     * "load <blob>"}, as ndctl does with the blobs it keeps) and answers its key id; the kernel
     * opens it with the master key the blob names. The caller makes sure no key with this
     * description exists.
     */
    long load(String description, String sealedBlob);

    /** Whether a key the kernel could find under this description is in the keyring. */
    boolean holds(String description);

    /** Removes the key; removing a key that is gone is not an error. */
    void remove(long keyId);
}
