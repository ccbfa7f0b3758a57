"""Every write of the volunteers app, one module per area:

- ``advisors``: CEE and CET (proposal, designation, lettre de mission, mandate, interventions,
  nominative list);
- ``reserve``: réserve citoyenne (sign-up, vetting, teachers' requests);
- ``immersions``: immersion offers and their joint validation;
- ``course``: the 56-hour course of new heads of school and inspectors.
"""
