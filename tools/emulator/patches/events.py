"""Amazon EventBridge behaviours that moto 5.2 lacks."""

import json

from moto.events import models as events_models
from moto.events import responses as events_responses
from moto.events.exceptions import ValidationException


def test_event_pattern_answers():
    """TestEventPattern answers whether an event pattern matches an event.

    AWS API reference, TestEventPattern: "Tests whether the specified event pattern matches the provided
    event." Request: EventPattern (string), Event (string, a JSON event with id, account, source, time,
    region, resources, detail-type). Response: Result (boolean). moto answers nothing (its backend method
    raises NotImplementedError and its response handler returns an empty body). This uses moto's own
    pattern matcher, the one its rules use.
    """

    def backend_test_event_pattern(self, pattern, event):
        try:
            parsed = json.loads(event)
        except ValueError as e:
            raise ValidationException("Parameter Event is not valid.") from e
        return events_models.EventPattern.load(pattern).matches_event(parsed)

    def response_test_event_pattern(self):
        result = self.events_backend.test_event_pattern(self._get_param("EventPattern"), self._get_param("Event"))
        return json.dumps({"Result": bool(result)}), self.response_headers

    events_models.EventsBackend.test_event_pattern = backend_test_event_pattern
    events_responses.EventsHandler.test_event_pattern = response_test_event_pattern
