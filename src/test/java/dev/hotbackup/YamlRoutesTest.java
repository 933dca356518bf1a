package dev.hotbackup;

/** The listener behaviour with the pack's YAML routes (routes/*.camel.yaml). */
class YamlRoutesTest extends BackupListenerBehaviour {

    @Override
    protected String dsl() {
        return "yaml";
    }
}
