package dev.hotbackup.arbiter.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.function.Consumer;

/**
 * For tests ({@link Database#afterStatement}): a connection whose prepared statements call a hook
 * after each execution, so a test can hang an instance between two statements of a call, as a
 * paused process does.
 */
final class StatementHook {

    private StatementHook() {}

    static Connection wrap(Connection conn, Consumer<String> hook) {
        return proxy(
                Connection.class,
                conn,
                (method, args, result) ->
                        method.getName().equals("prepareStatement")
                                        && result instanceof PreparedStatement ps
                                ? statement(ps, (String) args[0], hook)
                                : result);
    }

    private static PreparedStatement statement(
            PreparedStatement ps, String sql, Consumer<String> hook) {
        return proxy(
                PreparedStatement.class,
                ps,
                (method, args, result) -> {
                    if (method.getName().startsWith("execute")) {
                        hook.accept(sql);
                    }
                    return result;
                });
    }

    private interface After {
        Object apply(Method method, Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler h =
                (p, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return after.apply(method, args, result);
                };
        return type.cast(
                Proxy.newProxyInstance(
                        StatementHook.class.getClassLoader(), new Class<?>[] {type}, h));
    }
}
