/**
 * haseq's API: domain values, the binary codec, the SPIs every provider implements, and the
 * typed Raft settings. Depends on nothing but the JDK.
 */
module dev.haseq.api {
    exports dev.haseq.api;
    exports dev.haseq.api.codec;
    exports dev.haseq.api.config;
    exports dev.haseq.api.consensus;
    exports dev.haseq.api.exec;
    exports dev.haseq.api.storage;

    uses dev.haseq.api.consensus.ConsensusProvider;
    uses dev.haseq.api.storage.LogStoreProvider;
    uses dev.haseq.api.storage.StableStoreProvider;
    uses dev.haseq.api.storage.SnapshotStoreProvider;
    uses dev.haseq.api.storage.BlockStoreProvider;
    uses dev.haseq.api.exec.ExecutorProvider;
    uses dev.haseq.api.exec.DataAvailabilityProvider;
}
