package org.rnn4j.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of ARCHITECTURE.md, checked on the compiled classes (the poms' enforcer rules check the dependencies). */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.rnn4j");
    }

    private static final String[] ENGINES_AND_GUICE = {
        "org.tensorflow..", "org.nd4j..", "org.deeplearning4j..", "org.bytedeco..", "com.google.inject.."
    };

    @Test
    void apiDataAndZooUseNoEngineAndNoGuice() {
        ArchRule rule = noClasses()
                .that()
                .resideInAnyPackage("org.rnn4j.api..", "org.rnn4j.data..", "org.rnn4j.zoo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ENGINES_AND_GUICE)
                .because("the api, data and zoo are engine-neutral; engines live in backends, wiring in bootstrap/cli");
        rule.check(classes);
    }

    @Test
    void backendsDependOnTheApiAlone() {
        noClasses()
                .that()
                .resideInAPackage("org.rnn4j.backend.tf..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.rnn4j.backend.dl4j..",
                        "org.rnn4j.data..",
                        "org.rnn4j.zoo..",
                        "org.rnn4j.cli..",
                        "org.rnn4j.bootstrap..",
                        "org.nd4j..",
                        "org.deeplearning4j..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("org.rnn4j.backend.dl4j..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.rnn4j.backend.tf..",
                        "org.rnn4j.data..",
                        "org.rnn4j.zoo..",
                        "org.rnn4j.cli..",
                        "org.rnn4j.bootstrap..",
                        "org.tensorflow..")
                .check(classes);
    }

    @Test
    void theApiKnowsNothingAboveIt() {
        noClasses()
                .that()
                .resideInAPackage("org.rnn4j.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.rnn4j.data..",
                        "org.rnn4j.zoo..",
                        "org.rnn4j.cli..",
                        "org.rnn4j.bootstrap..",
                        "org.rnn4j.backend..")
                .check(classes);
    }

    @Test
    void commandsDoNotCallEachOther() {
        ArchCondition<JavaClass> notAnotherCommand = new ArchCondition<>("depend on no other command") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = topLevel(origin).getName();
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    if (target.getPackageName().equals("org.rnn4j.cli")
                            && topLevel(target).getSimpleName().endsWith("Command")
                            && !topLevel(target).getName().equals(own)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
        classes()
                .that()
                .resideInAPackage("org.rnn4j.cli")
                .and()
                .haveSimpleNameNotEndingWith("Main")
                .should(notAnotherCommand)
                .because("shared helpers live in their own small classes; a command only parses options and prints")
                .check(classes);
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }

    @Test
    void noUtilPackages() {
        noClasses()
                .should()
                .resideInAPackage("..util..")
                .because("helpers live next to their only caller (STYLE.md)")
                .check(classes);
    }
}
