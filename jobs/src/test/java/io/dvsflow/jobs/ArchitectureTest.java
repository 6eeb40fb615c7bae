package io.dvsflow.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module directions of docs/architecture.md ({@code schemas <- models <- operators <- jobs};
 * {@code connectors} feed {@code jobs}; {@code models} never imports Flink; {@code operators} never
 * imports {@code connectors} or {@code jobs}) and "JUnit 5 only", checked on the compiled classes
 * of every module (main and test).
 */
class ArchitectureTest {

    private static final String[] MODULES = {
        "schemas", "models", "connectors", "operators", "jobs", "benchmarks"
    };

    private static JavaClasses all;

    @BeforeAll
    static void importAllModules() {
        List<Path> dirs = new ArrayList<>();
        for (String module : MODULES) {
            for (String kind : new String[] {"classes", "test-classes"}) {
                Path dir = Path.of("..", module, "target", kind);
                if (Files.isDirectory(dir)) {
                    dirs.add(dir);
                }
            }
        }
        all = new ClassFileImporter().importPaths(dirs);
    }

    @Test
    void everyModuleWasImported() {
        for (String pkg :
                new String[] {
                    "io.dvsflow.schemas", "io.dvsflow.connectors", "io.dvsflow.jobs",
                }) {
            assertThat(all.containPackage(pkg)).as(pkg).isTrue();
        }
    }

    @Test
    void schemasDependOnNothingOfDvsflow() {
        noClasses()
                .that()
                .resideInAPackage("io.dvsflow.schemas..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.dvsflow.models..",
                        "io.dvsflow.operators..",
                        "io.dvsflow.connectors..",
                        "io.dvsflow.jobs..",
                        "org.apache.flink..")
                .check(all);
    }

    @Test
    void modelsNeverImportFlinkOrOuterModules() {
        noClasses()
                .that()
                .resideInAPackage("io.dvsflow.models..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.flink..",
                        "org.apache.kafka..",
                        "io.dvsflow.operators..",
                        "io.dvsflow.connectors..",
                        "io.dvsflow.jobs..")
                .allowEmptyShould(true)
                .check(all);
    }

    @Test
    void operatorsNeverImportConnectorsOrJobs() {
        noClasses()
                .that()
                .resideInAPackage("io.dvsflow.operators..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.dvsflow.connectors..", "io.dvsflow.jobs..")
                .allowEmptyShould(true)
                .check(all);
    }

    @Test
    void connectorsNeverImportOperatorsModelsOrJobs() {
        noClasses()
                .that()
                .resideInAPackage("io.dvsflow.connectors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.dvsflow.operators..", "io.dvsflow.jobs..", "io.dvsflow.models..")
                .check(all);
    }

    @Test
    void junit5Only() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.junit", "junit.framework..", "org.junit.runner..")
                .check(all);
    }

    @Test
    void noSystemOutInLibraryCode() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.dvsflow.schemas..",
                        "io.dvsflow.models..",
                        "io.dvsflow.connectors..",
                        "io.dvsflow.operators..")
                .should()
                .accessField(System.class, "out")
                .check(all);
    }
}
