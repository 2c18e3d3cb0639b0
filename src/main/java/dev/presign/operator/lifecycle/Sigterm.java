package dev.presign.operator.lifecycle;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, the kubelet's way of stopping a pod, ends the operator as a requested exit: Quarkus
 * stops the application on its main thread, and the process ends with status 0. Left to the JVM,
 * SIGTERM stops the application from a shutdown hook and ends the process with 143, as if it had
 * failed.
 */
@ApplicationScoped
public class Sigterm {

  private static final Logger LOG = Logger.getLogger(Sigterm.class);
  private static final Signal TERM = new Signal("TERM");

  private SignalHandler jvmHandler;

  void onStart(@Observes StartupEvent event) {
    jvmHandler =
        Signal.handle(
            TERM,
            signal -> {
              LOG.info("SIGTERM: stopping");
              Quarkus.asyncExit(0);
            });
  }

  /** A JVM that outlives the application (a test's) gets its own handling back. */
  void onStop(@Observes ShutdownEvent event) {
    // null: the application stopped before it had started.
    if (jvmHandler != null) {
      Signal.handle(TERM, jvmHandler);
    }
  }
}
