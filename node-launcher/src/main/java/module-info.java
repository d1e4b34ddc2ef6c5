/**
 * The node and the launcher. The launcher ({@code dev.haseq.launcher...}) loads configuration and
 * runs the {@code haseq} command line; picocli reads its command classes by reflection.
 */
module dev.haseq.node {
    requires dev.haseq.api;
    requires typesafe.config;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    opens dev.haseq.launcher to info.picocli;
    opens dev.haseq.launcher.cli to info.picocli;
}
