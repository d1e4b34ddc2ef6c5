package dev.haseq.storage.chronicle;

/**
 * System properties Chronicle reads, set in code before this module builds any queue, so that an
 * operator's node behaves the same whatever JVM flags it was started with.
 *
 * <ul>
 *   <li>{@value #ANALYTICS_DISABLE} (read by chronicle-core's {@code AnalyticsFacade.isEnabled()}
 *       each time a queue is built): always forced to {@code true}. A node must never phone home,
 *       so an operator cannot switch it back on. The analytics client jar is also excluded from the
 *       build, so this is the second of two independent guards.</li>
 *   <li>{@value #ANNOUNCER_DISABLE}: the start-up banner Chronicle prints to stdout; off unless the
 *       operator set the property.</li>
 * </ul>
 * Thread-safe and idempotent.
 */
public final class ChronicleDefaults {
    /** Property name checked in chronicle-core 2026.5 ({@code AnalyticsFacade.isEnabled}). */
    public static final String ANALYTICS_DISABLE = "chronicle.analytics.disable";
    /** Property name checked in chronicle-core 2026.5 (its start-up announcer). */
    public static final String ANNOUNCER_DISABLE = "chronicle.announcer.disable";

    static {
        apply();
    }

    private ChronicleDefaults() {
    }

    /** Sets the properties; call before the first Chronicle class is used. */
    public static void apply() {
        System.setProperty(ANALYTICS_DISABLE, "true");
        if (System.getProperty(ANNOUNCER_DISABLE) == null) {
            System.setProperty(ANNOUNCER_DISABLE, "true");
        }
    }
}
