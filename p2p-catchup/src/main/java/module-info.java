/** Block catch-up over P2P and the DA layer. */
module dev.haseq.catchup {
    requires dev.haseq.api;
}
