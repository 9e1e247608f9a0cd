// The bench's Hubot peer: what a team would write instead of cqod, an
// Express route on Hubot's own listener answering the JSON body it was sent.
export default (robot) => {
  robot.router.post('/webhook/generic/bench', (req, res) => {
    res.json(req.body)
  })
}
