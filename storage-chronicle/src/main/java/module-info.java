/** Raft log and block store on Chronicle Queue. */
module dev.haseq.storage.chronicle {
    requires dev.haseq.api;
}
