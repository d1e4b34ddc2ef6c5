package dev.haseq.launcher.config;

import java.util.Optional;

/**
 * The {@code da.*} keys: the data-availability layer.
 *
 * @param provider the DA provider's name; empty = no DA layer
 * @param address  where the provider connects to, in its own format; empty = its default
 */
public record DaSettings(Optional<String> provider, String address) {
    public static final String PROVIDER = "da.provider";
    public static final String ADDRESS = "da.address";

    public DaSettings {
        if (provider == null || address == null) {
            throw new IllegalArgumentException("DaSettings fields must not be null");
        }
    }

    static DaSettings parse(ValueReader r) {
        String provider = r.providerName(PROVIDER, true);
        String address = r.text(ADDRESS);
        if (provider.isEmpty() && !address.isEmpty() && r.ok(PROVIDER)) {
            r.error(ADDRESS, ADDRESS + " is set ('" + address + "') but " + PROVIDER + " is empty: name the DA "
                    + "provider that should use it, or clear " + ADDRESS);
        }
        return new DaSettings(provider.isEmpty() ? Optional.empty() : Optional.of(provider), address);
    }
}
