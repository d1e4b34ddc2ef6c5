/** Atomix Raft consensus provider. */
module dev.haseq.consensus.atomix {
    requires dev.haseq.api;
}
