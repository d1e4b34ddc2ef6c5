package dev.haseq.launcher.cli;

import com.typesafe.config.ConfigUtil;
import dev.haseq.api.config.ConfigProblem;
import dev.haseq.launcher.config.HaseqConfig;
import dev.haseq.launcher.config.Setting;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints an effective configuration one key per line with the source of each value, then the
 * warnings. The output is valid HOCON ({@code key = value} lines, everything else a comment), so
 * it can be saved as a {@code haseq.conf}.
 */
final class EffectiveConfigPrinter {
    private EffectiveConfigPrinter() {
    }

    static void print(HaseqConfig config, PrintWriter out) {
        out.println("# haseq effective configuration");
        out.println("# config file: " + config.configFile().map(Object::toString).orElse("none"));
        out.println("# home: " + config.home());
        out.println("# sources, lowest precedence first: default, config file, EVNODE_* environment, flags");
        int keyWidth = config.settings().keySet().stream().mapToInt(String::length).max().orElse(0);
        List<String> values = config.settings().values().stream().map(s -> render(s.value())).toList();
        int valueWidth = Math.min(48, values.stream().mapToInt(String::length).max().orElse(0));
        int i = 0;
        for (Setting s : config.settings().values()) {
            out.println(String.format("%-" + keyWidth + "s = %-" + valueWidth + "s  # %s", s.key(), values.get(i++),
                    s.source().describe()));
        }
        printWarnings(config.warnings(), out);
        out.println("# configuration is valid");
        out.flush();
    }

    static void printWarnings(List<ConfigProblem> warnings, PrintWriter out) {
        out.println("# " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings"));
        for (ConfigProblem w : warnings) {
            out.println("# warning: " + w.message().replace("\n", "\n#   "));
        }
    }

    /** true/false and whole numbers bare, everything else as a quoted string. */
    static String render(String value) {
        if (value.equals("true") || value.equals("false") || value.matches("-?\\d{1,18}")) {
            return value;
        }
        return ConfigUtil.quoteString(value);
    }
}
