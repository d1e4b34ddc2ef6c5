/** File snapshots, stable store and segmented file log. */
module dev.haseq.storage.file {
    requires dev.haseq.api;
}
