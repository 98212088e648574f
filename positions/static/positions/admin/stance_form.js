// Stance form: when the organisation changes, the evidence autocomplete offers only that
// organisation's statements (the server filters on ?organisation=, see StatementAdmin).
// Without JavaScript the server still refuses evidence from another organisation.
"use strict";
{
    const $ = django.jQuery;
    $(document).on("change", "#id_organisation", function () {
        const evidence = $("#id_evidence");
        const select2 = evidence.data("select2");
        if (!select2) {
            return;
        }
        const url = new URL(evidence.attr("data-ajax--url"), window.location.href);
        if (this.value) {
            url.searchParams.set("organisation", this.value);
        } else {
            url.searchParams.delete("organisation");
        }
        select2.dataAdapter.ajaxOptions.url = url.pathname + url.search;
    });
}
