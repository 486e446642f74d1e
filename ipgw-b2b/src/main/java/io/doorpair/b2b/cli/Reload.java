package io.doorpair.b2b.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP, the specification's reload signal, handled in the JVM with {@code sun.misc.Signal} (the
 * {@code jdk.unsupported} module exports it for this use; the JDK has no supported signal API). It
 * is reached by reflection because javac flags every compile-time use of it as a proprietary API
 * warning, which the build turns into an error and which no annotation silences.
 */
final class Reload {
  private static final Logger LOG = LoggerFactory.getLogger(Reload.class);

  private Reload() {}

  /**
   * Runs {@code action} at each SIGHUP (on the JVM's signal thread).
   *
   * @throws IllegalStateException when this JVM offers no {@code sun.misc.Signal}
   */
  static void onSighup(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              Reload.class.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  LOG.info("SIGHUP: rereading acl.list, the password file and accounts.list");
                  try {
                    action.run();
                  } catch (RuntimeException e) {
                    LOG.warn("reload failed: {}", e.toString());
                  }
                  return null;
                }
                if (method.getName().equals("toString")) {
                  return "b2b SIGHUP handler";
                }
                if (method.getName().equals("hashCode")) {
                  return System.identityHashCode(proxy);
                }
                if (method.getName().equals("equals")) {
                  return proxy == args[0];
                }
                return null;
              });
      Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      handle.invoke(null, hup, handler);
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalStateException("cannot handle SIGHUP in this JVM: " + e, e);
    }
  }
}
