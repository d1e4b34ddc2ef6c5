package dev.haseq.launcher.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haseq.launcher.config.ConfigLoad;
import dev.haseq.launcher.config.ConfigLoader;
import dev.haseq.launcher.config.ConfigRequest;
import dev.haseq.launcher.config.HaseqConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWriterTest {
    @TempDir
    Path dir;

    @Test
    void writtenFileLoadsBackToExactlyTheValuesGiven() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("rpc.address", "127.0.0.1:7331");
        values.put("home", dir.toString());
        values.put("node.aggregator", "true");
        values.put("node.block_time", "1s");
        values.put("raft.enable", "true");
        values.put("raft.node_id", "no");       // YAML 1.1 would read a bare no as false
        values.put("raft.raft_addr", "127.0.0.1:5001");
        values.put("raft.peers", "node-2@127.0.0.1:5002");
        values.put("raft.snapshot_threshold", "1000");
        values.put("da.address", "say \"hi\" \\ there");
        Path file = dir.resolve("evnode.yaml");
        Files.writeString(file, ConfigFileWriter.yaml(List.of("a header", ""), values));

        ConfigLoad load = new ConfigLoader(Map.of(), dir).load(ConfigRequest.ofFile(file));

        // the only error is the one these values really have, and it quotes the value back intact
        assertThat(load.errors()).as(Files.readString(file)).singleElement().asString()
                .startsWith("da.address is set ('say \"hi\" \\ there') but da.provider is empty");
        String text = Files.readString(file);
        assertThat(text).startsWith("# a header\n#\nhome: ");
        assertThat(text.indexOf("node:")).isLessThan(text.indexOf("raft:"));
        assertThat(text.indexOf("raft:")).isLessThan(text.indexOf("rpc:"));
        assertThat(text).contains("  node_id: \"no\"").contains("  snapshot_threshold: 1000")
                .contains("  aggregator: true");
    }

    @Test
    void valuesKeepTheirTypesWhenLoaded() throws Exception {
        Map<String, String> values = Map.of("home", dir.toString(), "node.aggregator", "true", "raft.enable", "true",
                "raft.node_id", "0x1", "raft.raft_addr", "127.0.0.1:5001", "raft.peers", "n2@127.0.0.1:5002");
        Path file = dir.resolve("evnode.yaml");
        Files.writeString(file, ConfigFileWriter.yaml(List.of(), values));

        HaseqConfig c = new ConfigLoader(Map.of(), dir).load(ConfigRequest.ofFile(file)).orThrow();

        assertThat(c.raft().nodeId().value()).isEqualTo("0x1");
        assertThat(c.home()).isEqualTo(dir);
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> ConfigFileWriter.yaml(List.of(), Map.of("raft.heartbeat_timout", "1s")))
                .hasMessageContaining("unknown configuration key raft.heartbeat_timout");
    }
}
