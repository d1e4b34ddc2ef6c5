/**
 * Raft log ({@code chronicle}, the default log store) and block store on Chronicle Queue.
 * Chronicle's jars are automatic modules; every {@code requires chronicle.*} of the project lives here.
 */
module dev.haseq.storage.chronicle {
    requires dev.haseq.api;
    requires chronicle.queue;
    requires chronicle.core;
    requires chronicle.bytes;
    requires chronicle.wire;
    requires jdk.unsupported; // ExtendedOpenOption.DIRECT (Preallocator)

    exports dev.haseq.storage.chronicle;

    provides dev.haseq.api.storage.LogStoreProvider with dev.haseq.storage.chronicle.ChronicleLogStoreProvider;
    provides dev.haseq.api.storage.BlockStoreProvider with dev.haseq.storage.chronicle.ChronicleBlockStoreProvider;
}
