package org.rnn4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@code bom/pom.xml} pins exactly the published rnn4j artifacts and nothing else: importing it must
 * never pin a consumer's JUnit, Jackson or slf4j, and a new published module must be added to it.
 */
class BomTest {
    private static final Path ROOT =
            Path.of(System.getProperty("rnn4j.root", "..")).toAbsolutePath().normalize();

    @Test
    void theBomHasNoParentAndTheReactorsVersion() throws Exception {
        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        Element parent = pom(ROOT.resolve("pom.xml"));
        assertTrue(children(bom, "parent").isEmpty(), "an imported BOM brings its parent's dependencyManagement too");
        assertEquals(text(parent, "version"), text(bom, "version"));
        assertEquals("org.rnn4j", text(bom, "groupId"));
        assertEquals("pom", text(bom, "packaging"));
        assertTrue(children(bom, "dependencies").isEmpty(), "a BOM manages versions, it adds no dependencies");
        for (String field : List.of("url", "licenses", "developers", "scm", "description")) {
            assertFalse(children(bom, field).isEmpty(), "Maven Central wants <" + field + "> in the BOM too");
        }
    }

    @Test
    void theBomPinsEveryPublishedModuleAndNothingElse() throws Exception {
        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        Set<String> pinned = new TreeSet<>();
        Element management = children(bom, "dependencyManagement").get(0);
        for (Element d : children(children(management, "dependencies").get(0), "dependency")) {
            assertEquals("org.rnn4j", text(d, "groupId"), "the BOM pins rnn4j's own artifacts only");
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId"));
            pinned.add(text(d, "artifactId"));
        }
        assertEquals(publishedJarModules(), pinned);
    }

    /** Every reactor module that builds a jar and is deployed (not {@code maven.deploy.skip}). */
    static Set<String> publishedJarModules() throws Exception {
        Set<String> published = new TreeSet<>();
        for (Element m :
                children(children(pom(ROOT.resolve("pom.xml")), "modules").get(0), "module")) {
            Element pom = pom(ROOT.resolve(m.getTextContent().trim()).resolve("pom.xml"));
            String packaging = children(pom, "packaging").isEmpty() ? "jar" : text(pom, "packaging");
            boolean skipped = !children(pom, "properties").isEmpty()
                    && !children(children(pom, "properties").get(0), "maven.deploy.skip")
                            .isEmpty();
            if (packaging.equals("jar") && !skipped) {
                published.add(text(pom, "artifactId"));
            }
        }
        return published;
    }

    static Element pom(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " is missing");
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(file.toFile())
                .getDocumentElement();
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertEquals(1, found.size(), "<" + name + "> in <" + parent.getTagName() + ">");
        return found.get(0).getTextContent().trim();
    }
}
