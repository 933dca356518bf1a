package dev.hotbackup;

/** {@link FailoverNoticesTest} with the example's XML route. */
class FailoverNoticesXmlTest extends FailoverNoticesTest {

    @Override
    protected String exampleDsl() {
        return "xml";
    }
}
