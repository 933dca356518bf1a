package dev.hotbackup;

import dev.hotbackup.activity.ActivityLog;
import dev.hotbackup.config.HotBackupSettings;
import dev.hotbackup.mail.MailDeadLetters;
import dev.hotbackup.mail.SignalMail;
import org.apache.camel.CamelContext;

/** The mail of every signal (route {@code signal-mail}) and the file of mails not sent. */
final class MailWiring {

    private MailWiring() {}

    static MailDeadLetters wire(
            CamelContext camelContext, HotBackupSettings s, ActivityLog activity) throws Exception {
        SignalMail mail = new SignalMail(s.host, s.mailSubject, s.mailBody, s.mailToFor);
        camelContext.getRegistry().bind("signalMail", mail);
        MailDeadLetters deadLetters =
                new MailDeadLetters(s.mailDeadLetterFile, s.mailTo, mail, activity, camelContext);
        camelContext.addService(deadLetters);
        camelContext.getRegistry().bind("mailDeadLetters", deadLetters);
        return deadLetters;
    }
}
