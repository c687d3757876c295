package io.lethe.host;

/**
 * What a host keeps of its backend's settings: a JSON document only its backend reads, and at most
 * one secret, sealed ({@code SecretCipher}) for the owner its backend names; never the secret
 * itself.
 */
public record BackendSettings(String document, String sealedSecret) {

    public BackendSettings {
        document = document == null ? "{}" : document;
    }

    @Override
    public String toString() {
        return "BackendSettings[document="
                + document
                + ", secret "
                + (sealedSecret == null ? "none" : "sealed")
                + "]";
    }
}
