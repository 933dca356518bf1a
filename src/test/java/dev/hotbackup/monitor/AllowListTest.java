package dev.hotbackup.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {

    @Test
    void emptyAllowsAll() {
        assertTrue(new AllowList(List.of()).allows("any", "thing"));
    }

    @Test
    void patternsMatchWholeHostSlashConfig() {
        AllowList allow = new AllowList(List.of("server*/base", "dr.example/*"));
        assertTrue(allow.allows("serverA", "base"));
        assertTrue(allow.allows("dr.example", "anything"));
        assertFalse(allow.allows("serverA", "base2"));
        assertFalse(allow.allows("xserverA", "base"));
        assertFalse(allow.allows("dr-example", "x"), "dots are literal, not regex");
    }
}
