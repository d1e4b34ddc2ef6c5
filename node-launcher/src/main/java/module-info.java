/** The node and the launcher. */
module dev.haseq.node {
    requires dev.haseq.api;
}
