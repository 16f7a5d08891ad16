package org.embedrec.models.sequential;

import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.UserSequences;

/**
 * The leave-last-out protocol of sequential recommendation: each user's last item (by timestamp,
 * ties to the later row of the input) is the test target, the one before it the validation target,
 * and the rest, in time order, is the training sequence. Validation ranks after the training
 * sequence; test ranks after the training sequence plus the validation item. Users with fewer
 * than three interactions keep them all for training and are not evaluated on the missing parts.
 */
public record NextItemSplit(UserSequences train, NextItemQueries validation, NextItemQueries test) {

    /** Two rounds of {@link Split#leaveLastOut}: the first takes the test items, the second the validation items. */
    public static NextItemSplit leaveLastOut(Interactions data) {
        Split outer = Split.leaveLastOut(data);
        Split inner = Split.leaveLastOut(outer.train());
        UserSequences train = UserSequences.of(inner.train());
        UserSequences trainAndValidation = UserSequences.of(outer.train());
        UserSequences all = UserSequences.of(data);
        return new NextItemSplit(train, NextItemQueries.between(train, trainAndValidation),
                NextItemQueries.between(trainAndValidation, all));
    }
}
