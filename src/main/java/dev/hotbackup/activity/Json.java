package dev.hotbackup.activity;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/** Writes JSON with Camel's own JSON library (camel-util-json), for the API and the log. */
public final class Json {

    private Json() {}

    /** An object with the given keys and values, in order ({@code null} values included). */
    public static JsonObject object(Object... keysAndValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            o.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return o;
    }

    /**
     * {@code value} (maps, lists, strings, numbers, booleans) as JSON text. Camel's writer escapes
     * every '/' as '\/'; that is valid JSON but makes {@code grep serverA/base} miss the activity
     * log, so the escape is undone (a literal backslash is written as '\\', so every '\/' in the
     * text is an escaped '/').
     */
    public static String write(Object value) {
        return Jsoner.serialize(value).replace("\\/", "/");
    }
}
