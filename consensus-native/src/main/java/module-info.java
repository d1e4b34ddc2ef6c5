/** Native Raft consensus provider. */
module dev.haseq.consensus.raft {
    requires dev.haseq.api;
}
