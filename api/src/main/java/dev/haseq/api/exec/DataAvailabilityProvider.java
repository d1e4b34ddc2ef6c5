package dev.haseq.api.exec;

import java.util.Map;

/** Creates {@link DataAvailability} clients; selected by {@code da.provider}. */
public interface DataAvailabilityProvider {

    String name();

    /** @param options the {@code da.*} config keys, without the prefix */
    DataAvailability connect(Map<String, String> options);
}
