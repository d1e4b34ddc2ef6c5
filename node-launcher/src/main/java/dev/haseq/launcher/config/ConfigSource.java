package dev.haseq.launcher.config;

import java.nio.file.Path;

/**
 * Where a configuration value came from, in the four sources haseq reads (lowest precedence
 * first): the built-in defaults, the config file, an environment variable, a command-line flag.
 */
public sealed interface ConfigSource {

    /** A short description for the operator, e.g. {@code examples/evnode.yaml:22}. */
    String describe();

    /** Where an unknown key was found, for error messages, e.g. {@code evnode.yaml, line 22}. */
    default String location() {
        return describe();
    }

    /** The built-in default from {@code reference.conf}. */
    record Default() implements ConfigSource {
        @Override
        public String describe() {
            return "default";
        }
    }

    /**
     * The config file.
     *
     * @param file the path as the operator gave it
     * @param line 1-based line of the value, or -1 if unknown
     */
    record File(Path file, int line) implements ConfigSource {
        public File {
            if (file == null) {
                throw new IllegalArgumentException("file must not be null");
            }
        }

        @Override
        public String describe() {
            return line > 0 ? file + ":" + line : file.toString();
        }

        @Override
        public String location() {
            return line > 0 ? file + ", line " + line : file.toString();
        }
    }

    /** An {@code EVNODE_*} environment variable. */
    record Environment(String variable) implements ConfigSource {
        @Override
        public String describe() {
            return "env " + variable;
        }

        @Override
        public String location() {
            return "environment variable " + variable;
        }
    }

    /** A command-line flag, e.g. {@code --evnode.raft.enable} or {@code --home}. */
    record Flag(String flag) implements ConfigSource {
        @Override
        public String describe() {
            return "flag " + flag;
        }
    }
}
