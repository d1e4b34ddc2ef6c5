package dev.haseq.launcher.cli;

import picocli.CommandLine;

/** Creates command objects for picocli, handing the {@link LaunchEnvironment} to those that need it. */
final class CommandFactory implements CommandLine.IFactory {
    private final LaunchEnvironment environment;

    CommandFactory(LaunchEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        if (cls == ConfigCheckCommand.class) {
            return cls.cast(new ConfigCheckCommand(environment));
        }
        if (cls == StartCommand.class) {
            return cls.cast(new StartCommand(environment));
        }
        if (cls == InitCommand.class) {
            return cls.cast(new InitCommand(environment));
        }
        if (cls == DevClusterCommand.class) {
            return cls.cast(new DevClusterCommand(environment));
        }
        return CommandLine.defaultFactory().create(cls);
    }
}
