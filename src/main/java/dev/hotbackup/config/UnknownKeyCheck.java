package dev.hotbackup.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds keys under {@code hotbackup.} (and environment variables {@code HOTBACKUP_*}) that the pack
 * does not know, and names the closest key it does: a misspelled key is otherwise ignored, and a
 * backup whose listener port is misspelled starts without a listener and never takes over.
 */
public final class UnknownKeyCheck {

    private static final String PREFIX = "hotbackup.";
    private static final String ENV_PREFIX = "HOTBACKUP_";

    private UnknownKeyCheck() {}

    /** One line per unknown key, with the closest known key when one is close enough. */
    public static List<String> check(Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (name.startsWith(PREFIX)) {
                if (!known(name)) {
                    out.add(name + ": no such key" + suggestion(closest(name)));
                }
            } else if (name.startsWith(ENV_PREFIX + "GROUP_")) {
                out.add(
                        "environment variable "
                                + name
                                + ": group keys cannot be set by environment variables (the group's"
                                + " name is part of the key): set hotbackup.group.<group>.... in"
                                + " application.properties or with -D");
            } else if (name.startsWith(ENV_PREFIX) && !knownEnvironment(name)) {
                String key = closestEnvironment(name);
                out.add(
                        "environment variable "
                                + name
                                + ": no such key"
                                + (key == null
                                        ? suggestion(null)
                                        : "; did you mean "
                                                + Key.environmentName(key)
                                                + " ("
                                                + key
                                                + ")?"));
            }
        }
        return out;
    }

    /** Whether {@code name} is a declared key or belongs to a declared family. */
    static boolean known(String name) {
        for (Key<?> k : Keys.ALL) {
            if (k.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean knownEnvironment(String env) {
        for (Key<?> k : Keys.ALL) {
            if (!k.isPattern() && k.environmentName().equals(env)) {
                return true;
            }
        }
        return false;
    }

    private static String suggestion(String key) {
        return key == null
                ? " (every key is listed in docs/configuration.md)"
                : "; did you mean " + key + "?";
    }

    /**
     * The known key closest to {@code name}: a few letters apart, or the only key with the same
     * last word ({@code hotbackup.threshold} -> {@code hotbackup.listener.threshold}). For a family
     * of keys the comparison is on the family's prefix with the rest of {@code name} appended.
     */
    static String closest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key<?> k : Keys.ALL) {
            String candidate = k.isPattern() ? k.fill(name) : k.name();
            if (candidate == null) {
                continue;
            }
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= Math.max(2, name.length() / 8)) {
            return best;
        }
        String last = lower.substring(lower.lastIndexOf('.') + 1);
        String only = null;
        for (Key<?> k : Keys.ALL) {
            if (!k.isPattern() && k.name().endsWith("." + last)) {
                if (only != null) {
                    return sameWordsAndOneMore(lower);
                }
                only = k.name();
            }
        }
        return only != null ? only : sameWordsAndOneMore(lower);
    }

    /**
     * The one key that has every word of {@code name} and one more, whatever the dots and dashes
     * between them: {@code hotbackup.observe.port} is {@code hotbackup.http.observe-port}.
     */
    private static String sameWordsAndOneMore(String name) {
        Set<String> words = words(name);
        String only = null;
        for (Key<?> k : Keys.ALL) {
            Set<String> known = words(k.name());
            if (!k.isPattern() && known.size() == words.size() + 1 && known.containsAll(words)) {
                if (only != null) {
                    return null;
                }
                only = k.name();
            }
        }
        return only;
    }

    private static Set<String> words(String name) {
        return new HashSet<>(Arrays.asList(name.toLowerCase(Locale.ROOT).split("[.\\-_]+")));
    }

    private static String closestEnvironment(String env) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Key<?> k : Keys.ALL) {
            if (k.isPattern()) {
                continue;
            }
            int d = distance(env, k.environmentName());
            if (d < bestDistance) {
                bestDistance = d;
                best = k.name();
            }
        }
        return bestDistance <= Math.max(2, env.length() / 8) ? best : null;
    }

    /** Edits (insert, delete, replace, swap of neighbours) from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
