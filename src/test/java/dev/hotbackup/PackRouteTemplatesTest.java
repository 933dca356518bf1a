package dev.hotbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbackup.config.Keys;
import dev.hotbackup.routes.PackRoute;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.CatchDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplatesDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * Each of the pack's routes is defined once, as a YAML route template; its XML rendering in {@code
 * hotbackup/templates/xml/} (loaded with {@code hotbackup.dsl=xml}, read by XML users) is what
 * Camel's own XML dumper makes of the YAML. This test fails when they differ; run it with {@code
 * -Dregenerate=true} ({@code ./mvnw test -Dtest=PackRouteTemplatesTest -Dregenerate=true}) to
 * rewrite the XML after changing a template.
 */
class PackRouteTemplatesTest {

    static final Path TEMPLATES = Path.of("src/main/resources/hotbackup/templates");

    @Test
    void xmlTemplatesAreTheYamlTemplatesAsCamelWritesThem() throws Exception {
        List<String> stale = new ArrayList<>();
        for (PackRoute r : PackRoute.values()) {
            Path yaml = TEMPLATES.resolve(r.template() + ".camel.yaml");
            Path xml = TEMPLATES.resolve("xml/" + r.template() + ".camel.xml");
            String expected = xml(yaml, r.template());
            if (Boolean.getBoolean("regenerate")) {
                Files.writeString(xml, expected, StandardCharsets.UTF_8);
            } else if (!Files.exists(xml)
                    || !Files.readString(xml, StandardCharsets.UTF_8).equals(expected)) {
                stale.add(xml.toString());
            }
        }
        assertEquals(
                List.of(),
                stale,
                "XML templates differ from the YAML ones: ./mvnw test"
                        + " -Dtest=PackRouteTemplatesTest -Dregenerate=true");
    }

    @Test
    void everyPackRouteIsInstantiatedOnceInEachDsl() throws Exception {
        for (Keys.Dsl dsl : Keys.Dsl.values()) {
            String file =
                    Files.readString(
                            Path.of(
                                    "src/main/resources/hotbackup/routes.camel."
                                            + (dsl == Keys.Dsl.YAML ? "yaml" : "xml")));
            for (PackRoute r : PackRoute.values()) {
                String ref = dsl == Keys.Dsl.YAML ? "routeTemplateRef: " : "routeTemplateRef=\"";
                assertEquals(
                        1,
                        file.split(ref + r.template() + "\\b", -1).length - 1,
                        r.template() + " in " + dsl);
                assertTrue(file.contains("{{hotbackup:route:" + r.id() + "}}"), r.id());
            }
        }
    }

    /**
     * Camel 4.18's XML dumper writes a {@code doTry}'s outputs only, and the YAML loader keeps its
     * {@code doCatch} clauses apart from them (the XML loader puts them in the outputs): without
     * this, the XML would lose every catch.
     */
    private static void withCatches(List<ProcessorDefinition<?>> outputs) {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof TryDefinition t) {
                for (CatchDefinition c : t.getCatchClauses()) {
                    if (!t.getOutputs().contains(c)) {
                        t.getOutputs().add(c);
                    }
                }
            }
            withCatches(p.getOutputs());
        }
    }

    /** The XML of the template in {@code yaml}, headed by the YAML file's own comment. */
    static String xml(Path yaml, String id) throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(ctx)
                    .loadRoutes(ResourceHelper.resolveResource(ctx, "file:" + yaml));
            Model model = ctx.getCamelContextExtension().getContextPlugin(Model.class);
            RouteTemplateDefinition template = model.getRouteTemplateDefinition(id);
            RouteTemplatesDefinition one = new RouteTemplatesDefinition();
            one.setRouteTemplates(List.of(template));
            withCatches(template.getRoute().getOutputs());
            String dumped = PluginHelper.getModelToXMLDumper(ctx).dumpModelAsXml(ctx, one);
            StringBuilder comment = new StringBuilder();
            for (String line : Files.readAllLines(yaml, StandardCharsets.UTF_8)) {
                if (!line.startsWith("#")) {
                    break;
                }
                comment.append("\n    ").append(line.substring(1).trim().replace("--", "-"));
            }
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generated from ../"
                    + yaml.getFileName()
                    + " by PackRouteTemplatesTest: change the YAML, then run\n"
                    + "    ./mvnw test -Dtest=PackRouteTemplatesTest -Dregenerate=true\n"
                    + comment
                    + " -->\n"
                    + dumped.strip()
                    + "\n";
        }
    }
}
