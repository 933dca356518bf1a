package dev.hotbackup.monitor;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which monitored hosts the listener accepts ({@code hotbackup.listener.allow}): patterns {@code
 * host/config} in which {@code *} stands for any run of characters. No pattern: all hosts.
 */
public final class AllowList {

    private final List<Pattern> patterns;

    public AllowList(List<String> patterns) {
        this.patterns = patterns.stream().map(AllowList::compile).toList();
    }

    public boolean allows(String host, String config) {
        if (patterns.isEmpty()) {
            return true;
        }
        String name = host + '/' + config;
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
